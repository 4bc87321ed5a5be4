"""The built-in templates, CSS and fonts, shipped inside the wheel as ``generator.templates``."""
