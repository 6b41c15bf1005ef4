"""What the window looks, sounds and reads like: bundled files, fonts, translations, texts, theme, sounds."""
