"""One module per pane; each pane is a thin view over the core."""
