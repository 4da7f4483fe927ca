"""The record format's rules: what `validate`, the hooks and `check` hold every record to."""
