"""The embedded simulated ALOR exchange: a real aiohttp server speaking ALOR's wire protocol."""
