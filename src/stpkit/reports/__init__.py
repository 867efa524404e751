"""Documents written from the data: board updates and decision packs, as HTML and DOCX."""
