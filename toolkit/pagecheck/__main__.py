"""`python -m toolkit.pagecheck OUTPUT_FOLDER [--workbook 台账.xlsx] [--jobs N]`."""

import sys

from . import main

sys.exit(main())
