"""Text: decoding, sentences, names, quotations, languages: an article's text made citable. Pure."""
