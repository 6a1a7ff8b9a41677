"""Child-process entry point: `python -m bench.child MODULE FUNCTION JSON_KWARGS RESULT_FILE`."""
from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path


def main() -> None:
    module, function, kwargs, result_file = sys.argv[1:5]
    result = getattr(importlib.import_module(f"bench.{module}"), function)(**json.loads(kwargs))
    Path(result_file).write_text(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
