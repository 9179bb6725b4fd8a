"""The use cases, one module each (DESIGN §3): what a CLI command or the web page asks for,
as a library call over the stages below."""
