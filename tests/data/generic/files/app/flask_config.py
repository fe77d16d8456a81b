import os

app.config['SECRET_KEY'] = '9jYg7SjjPvttfbfMLZuPjII4OoaQmzBi'
os.environ["BILLING_DB_PASSWORD"] = "nnpy3#MPNZ.EPFq"
os.environ['PWD'] = build_dir
app.config['SECRET_KEY'] = os.environ['SECRET_KEY']
