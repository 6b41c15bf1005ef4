"""Camera input: frame sources (webcam, video file, image folder) and the QR decoder."""
