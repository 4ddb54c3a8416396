"""Names in transcript text: detection (honorifics, the manifest, a name list) and consistent pseudonyms."""
