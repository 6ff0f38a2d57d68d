"""The report's Jinja2 templates and style sheet, shipped inside the app as dpia_app.report_templates."""
