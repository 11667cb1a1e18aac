//! Tables as every reader writes them: one row a line, its cells separated by a tab. A table
//! inside a cell is written into that cell (its rows joined by spaces), so the line structure
//! stays one row a line; notes cited inside a row follow the row.

/// An open table: the cells of the row being read, the cell being read, and the notes cited in
/// the row.
#[derive(Default)]
pub(crate) struct Table {
    pub cells: Vec<String>,
    pub cell: Option<String>,
    pub notes: Vec<String>,
}

/// Appends text to the table's open cell; line breaks and tabs inside it become spaces, since
/// they would split the row.
pub(crate) fn append_to_cell(table: &mut Table, text: &str) {
    let cell = table.cell.get_or_insert_with(String::new);
    if !cell.is_empty() {
        cell.push(' ');
    }
    cell.push_str(&text.replace(['\n', '\t'], " "));
}

/// Closes the open cell of the innermost table.
pub(crate) fn close_cell(tables: &mut [Table]) {
    if let Some(table) = tables.last_mut() {
        let cell = table.cell.take().unwrap_or_default();
        table.cells.push(cell);
    }
}

/// Closes the row of the innermost table. The row of a table inside a cell goes into that cell
/// (its notes with it); the row of an outermost table is given back, with its notes, to be
/// written.
pub(crate) fn close_row(tables: &mut [Table]) -> Option<(String, Vec<String>)> {
    let depth = tables.len();
    let table = tables.last_mut()?;
    let row = std::mem::take(&mut table.cells).join("\t");
    let notes = std::mem::take(&mut table.notes);
    match depth.checked_sub(2).and_then(|outer| tables.get_mut(outer)) {
        Some(outer) => {
            append_to_cell(outer, &row);
            outer.notes.extend(notes);
            None
        }
        None => Some((row, notes)),
    }
}

/// Puts a finished paragraph (with the notes it cites) into the innermost table's open cell,
/// when a cell is open and the paragraph is not inside another one (`nested`). Otherwise the
/// notes are given back, for the paragraph to be written as a line of its own.
pub(crate) fn add_to_open_cell(
    tables: &mut [Table],
    nested: bool,
    line: &str,
    notes: Vec<String>,
) -> Option<Vec<String>> {
    match tables.last_mut() {
        Some(table) if table.cell.is_some() && !nested => {
            append_to_cell(table, line);
            table.notes.extend(notes);
            None
        }
        _ => Some(notes),
    }
}
