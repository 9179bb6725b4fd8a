"""The form definitions, templates, styles, fonts, rules and the sample workbook (data, not code).

A package only so that they travel inside the wheel; see toolkit.forms for how they are read.
"""
