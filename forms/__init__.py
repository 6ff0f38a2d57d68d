"""The form packs and requirements catalog, shipped inside the app as dpia_app.forms (data only)."""
