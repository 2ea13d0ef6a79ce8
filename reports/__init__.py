"""Report formats, one module each, registered through the ``wa_audit.formats`` entry points."""
