"""Language analyses over article text: tokens, sentences, language, lemmas, keywords."""
