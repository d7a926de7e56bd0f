# The two set-up commands of the README are `make demo` and `make test`; both install first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# Portable CPU build of llama.cpp for the integration tests (docs/architecture.md#tests-and-model-servers).
export CMAKE_ARGS ?= -DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
export SDL_VIDEODRIVER ?= dummy
export SDL_AUDIODRIVER ?= dummy

.PHONY: install install-test demo test test-fast lint bench play clean mutate

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (Python 3.11 is required)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q numpy==2.4.6
	$(BIN)/pip install -q -e .
	touch $(STAMP)

# The test extra adds pytest, ruff and a real llama.cpp server (a source build, ~3 minutes).
$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install -q -e '.[test]'
	touch $(TEST_STAMP)

install: $(STAMP)

install-test: $(TEST_STAMP)

demo: $(STAMP)
	$(BIN)/demo2code eval --benchmark robotouille --method demo2code --out runs/demo

# pytest exits 5 when it collected nothing: an empty selection must never pass silently.
test: $(TEST_STAMP)
	$(BIN)/ruff check demo2code robotouille tests
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup; s=$$?; \
	  if [ $$s -eq 5 ]; then echo "error: pytest collected no tests"; exit 1; fi; exit $$s

test-fast: $(TEST_STAMP)
	$(BIN)/python -m pytest -q -n 2 -m "not slow"

# Mutation testing of the verdict-deciding modules (not part of `make test`: it takes long).
# One module: make mutate MODULE=demo2code/noise.py; report in build/mutation/report.md.
MODULE ?=
MUTATE_TIME_BOX ?= 900
mutate: $(TEST_STAMP)
	$(BIN)/python tools/mutate.py --time-box $(MUTATE_TIME_BOX) $(MODULE)

lint: $(TEST_STAMP)
	$(BIN)/ruff format demo2code robotouille tests
	$(BIN)/ruff check --fix demo2code robotouille tests

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

play: $(STAMP)
	SDL_VIDEODRIVER= $(BIN)/robotouille play --task burger-lettuce-on-patty-immediately

clean:
	rm -rf $(VENV) runs .pytest_cache .ruff_cache build/mutation mutants
