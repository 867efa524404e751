"""Chart specifications (Vega-Altair) shared by the web app and the documents."""
