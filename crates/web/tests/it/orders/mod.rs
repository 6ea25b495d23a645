//! Orders over HTTP, on both engines: the whole journey from placing to
//! settlement with both wallets checked to the cent, a refund with a return,
//! a dispute the operator decides, the carrier's webhooks, the sandbox
//! carrier, the lists, the operator's terms, and every refused step with its
//! code and nothing changed.

mod carrier;
mod journeys;
mod lists_and_terms;
mod refused;
