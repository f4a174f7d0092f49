# Two commands on a fresh machine:
#   make tour   bootstrap .venv, then walk through the container lifecycle
#   make test   bootstrap .venv, then run the whole test suite
VENV   := .venv
PYTHON := $(VENV)/bin/python

.PHONY: tour test bootstrap clean

$(VENV)/.bootstrapped: pyproject.toml scripts/bootstrap.sh
	bash scripts/bootstrap.sh $(VENV)
	touch $@

bootstrap: $(VENV)/.bootstrapped

tour: bootstrap
	$(PYTHON) -m simulator tour

test: bootstrap
	$(PYTHON) -m pytest -q

clean:
	rm -rf $(VENV)
