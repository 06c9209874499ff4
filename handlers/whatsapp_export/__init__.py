"""The WhatsApp "Export chat" reader: .txt or .zip files from any phone, as entries (pure)."""
