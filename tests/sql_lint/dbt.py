"""dbt's cross-database macros for sqlfluff's Jinja templater (.sqlfluff: library_path), as the DuckDB SQL dbt-duckdb
writes for them, so the linter sees the SQL the models run without a dbt compile. Not imported by the hub."""


def concat(fields):
    return f"concat({', '.join(fields)})"


def dateadd(datepart, interval, from_date_or_timestamp):
    return f"date_add({from_date_or_timestamp}, interval ({interval}) {datepart})"


def datediff(first_date, second_date, datepart):
    return f"date_diff('{datepart}', {first_date}::timestamp, {second_date}::timestamp)"


def generate_series(upper_bound):
    return f"select unnest(range(1, {upper_bound} + 1)) as generated_number"


def hash(field):  # noqa: A001 - dbt's name
    return f"md5(cast({field} as varchar))"


def length(expression):
    return f"length({expression})"


def listagg(measure, delimiter_text="','", order_by_clause=None, limit_num=None):
    return f"string_agg({measure}, {delimiter_text} {order_by_clause or ''})"


def replace(field, old_chars, new_chars):
    return f"replace({field}, {old_chars}, {new_chars})"


def right(string_text, length_expression):
    return f"right({string_text}, {length_expression})"


def safe_cast(field, type):  # noqa: A002 - dbt's name
    return f"try_cast({field} as {type})"


def split_part(string_text, delimiter_text, part_number):
    return f"split_part({string_text}, {delimiter_text}, {part_number})"


def type_int():
    return "integer"


def type_string():
    return "varchar"
