from validate.cli import run

run()
