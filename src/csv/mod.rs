//! CSV files as people's spreadsheets write them and as Excel opens them in
//! a Russian locale. Bytes in, bytes out: no I/O, no database.
//!
//! Two halves shared by every kind of file:
//! - [`read`]: an upload's bytes to text (UTF-8 with or without BOM, or
//!   Windows-1251), the separator, records that know their line in the
//!   file, a header's names matched to the columns a file kind needs, and
//!   cells written the way people write them.
//! - [`write`]: the dialect of downloads (BOM, `;`, CRLF, decimal commas).
//!
//! A kind of file only declares its columns and reads or writes one record
//! at a time: [`readings`] (the readings upload and its template),
//! [`charges`] (a house's billed month) and [`balances`] (a house's
//! оборотно-сальдовая ведомость).
//!
//! A bank's payment register ([`bank_register`]) is no spreadsheet: no
//! header, cells never quoted, a totals line at the end. It shares only
//! the limit of a line's length and is split by itself.
//!
//! Inside this module the `csv` crate is spelled `::csv`, so that the two
//! are never confused.

pub mod apartment_register;
pub mod balances;
pub mod bank_register;
pub mod charges;
pub mod read;
pub mod readings;
pub mod write;
