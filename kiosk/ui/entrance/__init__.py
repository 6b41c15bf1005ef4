"""The entrance screen's widgets: the preview, the verdict, the status bar, the manual-log panel."""
