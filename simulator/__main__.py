"""``python -m simulator`` is the ``dockersim`` command."""

from .cli import main

raise SystemExit(main())
