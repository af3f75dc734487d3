# The README's two commands; scripts/ does the work.
.PHONY: run test
run:
	bash scripts/run.sh
test:
	bash scripts/test.sh
