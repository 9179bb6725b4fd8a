"""Deriving (DESIGN §3): validated records → the documents to make, each with its template
context. Every figure a document prints is defined once (`figures`); each family plans its own
documents in a module of its name; `planners` says which planner a form uses."""

from .planners import count, plan

__all__ = ["count", "plan"]
