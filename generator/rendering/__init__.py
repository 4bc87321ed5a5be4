"""Render: one valid scenario into a document, as Markdown, HTML or PDF.

Owns: the Jinja environment and document context, the sanitising of scenario
text, and the PDF stage (the only WeasyPrint import). Must not validate or
write files.
"""
