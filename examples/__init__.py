"""The example assessments, shipped inside the app as dpia_app.examples (data only).

A regular package (with this file) so that an editable install finds it too: setuptools' editable
finder maps dpia_app.examples to this folder only when it has an __init__.py. The installed app's
self-test (dpia_app.selftest) evaluates these drafts.
"""
