//! The `Content-Disposition` of a file the browser saves (a CSV, a PDF).

use actix_web::http::header::{
    Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
};

/// `Content-Disposition: attachment` named `filename`; a name that is
/// not ASCII (an account number may have Cyrillic letters) goes as UTF-8
/// too, after an ASCII stand-in for old clients.
pub fn attachment(filename: &str) -> ContentDisposition {
    let mut parameters = vec![DispositionParam::Filename(
        filename
            .chars()
            .map(|c| if c.is_ascii() { c } else { '_' })
            .collect(),
    )];
    if !filename.is_ascii() {
        parameters.push(DispositionParam::FilenameExt(ExtendedValue {
            charset: Charset::Ext("UTF-8".to_owned()),
            language_tag: None,
            value: filename.as_bytes().to_vec(),
        }));
    }
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters,
    }
}
