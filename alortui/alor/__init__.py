"""The ALOR wire client: HTTP, WebSocket, GraphQL and token refresh. Imports no Textual."""
