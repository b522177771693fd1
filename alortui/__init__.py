"""alortui: a full-screen terminal market monitor for the ALOR Broker API."""

__version__ = "0.1.0"
