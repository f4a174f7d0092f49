# Two commands on a fresh machine:
#   make tour     bootstrap .venv, then walk through the seed article, a figure per step
#   make test     bootstrap .venv, then run the whole test suite
#   make lessons  the lesson notebooks in JupyterLab
VENV   := .venv
PYTHON := $(VENV)/bin/python

.PHONY: tour test lessons bootstrap clean

$(VENV)/.bootstrapped: pyproject.toml scripts/bootstrap.sh scripts/launcher.py
	bash scripts/bootstrap.sh $(VENV)
	touch $@

bootstrap: $(VENV)/.bootstrapped

tour: bootstrap
	$(PYTHON) -m simulator tour

test: bootstrap
	$(PYTHON) -m pytest -q

# The lesson notebooks in JupyterLab (installed into .venv on first use).
$(VENV)/.lessons: $(VENV)/.bootstrapped
	$(PYTHON) -m pip install -q --disable-pip-version-check -e '.[notebook]' --config-settings editable_mode=compat
	$(PYTHON) scripts/launcher.py $(VENV)/bin/dockersim
	touch $@

lessons: $(VENV)/.lessons
	$(VENV)/bin/jupyter lab notebooks/

clean:
	rm -rf $(VENV)
