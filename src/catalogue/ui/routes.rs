//! The detail page as a lazy route (`ui::lazy`): its code comes with the first visit to a
//! credential, so the search page a learner lands on loads only what it needs.

use crate::catalogue::ui::detail::DetailPage;
use crate::lazy_page;

lazy_page!(DetailRoute, DetailPage);
