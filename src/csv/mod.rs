//! CSV files as people's spreadsheets write them and as Excel opens them in
//! a Russian locale. Bytes in, bytes out: no I/O, no database.

pub mod charges;
pub mod readings;
pub mod write;
