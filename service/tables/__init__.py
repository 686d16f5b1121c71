"""Tables people already keep (OKR sheets, Jira and Linear exports) read as import documents."""
