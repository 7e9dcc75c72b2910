"""The REST API and the app factory that also serves the web pages (`create_app`)."""
