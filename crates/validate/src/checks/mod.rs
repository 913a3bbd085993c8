//! Value checks shared by the RSS, Atom and JSON Feed validators: dates, URIs, e-mail
//! addresses, MIME types, numbers, languages, and HTML in content, one module each.
//!
//! Each follows the W3C Feed Validation Service's reading of the spec (which date forms it
//! calls problematical, which URI characters it refuses, …) so that a finding here is one the
//! service would give too.
//!
//! Each is a function of a value alone (no element, no position): the element-level rules in
//! `elements`, `content` and the format modules call them and report what they return.

mod dates;
mod html;
mod languages;
mod names;
mod schemes;
mod uris;
mod values;

pub(crate) use dates::{Iso, implausible, iso_date, rfc822_date};
pub(crate) use html::{dangerous_style, scan_html};
pub(crate) use names::{
    html_element, mathml_attribute, mathml_element, svg_attribute, svg_element,
};
pub(crate) use uris::{UriKind, UriProblem, canonical, uri};
pub(crate) use values::{addr_spec, contact, integer, language, mime_type, single_label_address};
