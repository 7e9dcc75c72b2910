"""Getting bytes: files and standard input now; feeds and pages from the web later."""
