//! `/orders`: the company's purchases, and with `?side=seller` its sales,
//! newest first, filtered by state, counterparty and the day placed, a
//! capped page at a time with a cursor.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use kernel::{CompanyId, Timestamp};
use trade::{Order, OrderFilter, OrderState, Perspective};

use super::{CompanyNames, LIST_PAGE_SIZE, state_label};
use crate::error::{ApiError, ErrorCode};
use crate::pages::market::{FormFields, money, query_fields};
use crate::pages::{Shell, error_response, render};
use crate::pagination::{PageBody, page_of_size};
use crate::state::AppState;

pub struct OrderRow {
    pub href: String,
    pub counterparty: String,
    /// The list filtered to this counterparty.
    pub counterparty_href: String,
    pub first_line: String,
    pub total: String,
    pub state: String,
    pub placed_at: String,
}

/// The counterparty the list is filtered to.
pub struct CounterpartyFilter {
    pub id: String,
    pub name: String,
    /// The list without this filter.
    pub without_href: String,
}

pub struct StateOption {
    pub value: &'static str,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "orders/list.html")]
struct ListPage<'a> {
    shell: &'a Shell,
    selling: bool,
    states: Vec<StateOption>,
    counterparty: Option<CounterpartyFilter>,
    from: String,
    until: String,
    rows: Vec<OrderRow>,
    next_page: Option<String>,
}

/// The list's filters as the query string gives them; a value that is not
/// one is a 400 page naming the parameter.
struct ListQuery {
    perspective: Perspective,
    filter: OrderFilter,
    from: String,
    until: String,
    cursor: String,
}

fn bad(parameter: &str, detail: &str) -> ApiError {
    ApiError::field(ErrorCode::InvalidQuery, parameter, detail)
}

/// A day typed as `2026-11-25`: its first instant in UTC.
fn day_start(parameter: &str, text: &str) -> Result<Option<Timestamp>, ApiError> {
    if text.is_empty() {
        return Ok(None);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date =
        time::Date::parse(text, &format).map_err(|_| bad(parameter, "a date like 2026-11-25"))?;
    Ok(Some(Timestamp::from_offset_date_time(
        date.midnight().assume_utc(),
    )))
}

impl ListQuery {
    fn parse(fields: &FormFields) -> Result<ListQuery, ApiError> {
        let perspective = match fields.get("side") {
            "" | "buyer" => Perspective::Buyer,
            "seller" => Perspective::Seller,
            _ => return Err(bad("side", "buyer or seller")),
        };
        let state = match fields.get("state") {
            "" => None,
            text => Some(OrderState::parse(text).ok_or_else(|| bad("state", "an order state"))?),
        };
        let counterparty = match fields.get("counterparty") {
            "" => None,
            text => Some(
                text.parse::<CompanyId>()
                    .map_err(|_| bad("counterparty", "a company id"))?,
            ),
        };
        let from = fields.get("from").to_owned();
        let until = fields.get("until").to_owned();
        // The last day counts whole: placed before the next day begins.
        let placed_until = day_start("until", &until)?.map(|day| day.plus_seconds(86_400));
        Ok(ListQuery {
            perspective,
            filter: OrderFilter {
                state,
                counterparty,
                placed_from: day_start("from", &from)?,
                placed_until,
            },
            from,
            until,
            cursor: fields.get("cursor").to_owned(),
        })
    }

    /// The same side's list with other filters (the dates go with them).
    fn refiltered(&self, filter: OrderFilter) -> ListQuery {
        let keeps_dates = filter.placed_from.is_some() || filter.placed_until.is_some();
        ListQuery {
            perspective: self.perspective,
            from: if keeps_dates {
                self.from.clone()
            } else {
                String::new()
            },
            until: if keeps_dates {
                self.until.clone()
            } else {
                String::new()
            },
            filter,
            cursor: String::new(),
        }
    }

    /// This list's address with `cursor`, keeping the filters.
    fn href(&self, cursor: &str) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if self.perspective == Perspective::Seller {
            query.append_pair("side", "seller");
        }
        if let Some(state) = self.filter.state {
            query.append_pair("state", state.as_str());
        }
        if let Some(company) = self.filter.counterparty {
            query.append_pair("counterparty", &company.to_string());
        }
        for (name, value) in [("from", &self.from), ("until", &self.until)] {
            if !value.is_empty() {
                query.append_pair(name, value);
            }
        }
        if !cursor.is_empty() {
            query.append_pair("cursor", cursor);
        }
        format!("/orders?{}", query.finish())
    }
}

pub async fn show(
    State(state): State<AppState>,
    shell: Shell,
    RawQuery(query): RawQuery,
) -> Response {
    let result = async {
        let member = shell.member().await?;
        let query = ListQuery::parse(&query_fields(query.as_deref()))?;
        let page = page_of_size(LIST_PAGE_SIZE, Some(&query.cursor))?;
        let orders: PageBody<Order> = state
            .trade
            .orders(&member.scope, query.perspective, &query.filter, page)
            .await?
            .into();
        let mut names = CompanyNames::default();
        let company = member.scope.company_id();
        let mut rows = Vec::with_capacity(orders.items.len());
        for order in &orders.items {
            let other = order.counterparty_of(company);
            let by_counterparty = query.refiltered(OrderFilter {
                counterparty: Some(other),
                ..OrderFilter::default()
            });
            rows.push(OrderRow {
                href: format!("/orders/{}", order.id),
                counterparty: names.of(&state, other).await?,
                counterparty_href: by_counterparty.href(""),
                first_line: order
                    .lines
                    .first()
                    .map(|line| {
                        if order.lines.len() > 1 {
                            format!("{} (+{})", line.title, order.lines.len() - 1)
                        } else {
                            line.title.clone()
                        }
                    })
                    .unwrap_or_default(),
                total: money(order.total_minor, order.currency),
                state: state_label(&shell, order.state),
                placed_at: shell.time(&order.placed_at),
            });
        }
        // The counterparty filtered to, and the list without that filter.
        let counterparty = match query.filter.counterparty {
            Some(other) => Some(CounterpartyFilter {
                id: other.to_string(),
                name: names.of(&state, other).await?,
                without_href: query
                    .refiltered(OrderFilter {
                        counterparty: None,
                        ..query.filter.clone()
                    })
                    .href(""),
            }),
            None => None,
        };
        let next_page = orders
            .next_cursor
            .map(|cursor| query.href(&cursor.to_string()));
        Ok::<_, ApiError>((query, rows, counterparty, next_page))
    }
    .await;
    let (query, rows, counterparty, next_page) = match result {
        Ok(found) => found,
        Err(error) => return error_response(&shell, error),
    };
    let page = ListPage {
        shell: &shell,
        selling: query.perspective == Perspective::Seller,
        states: OrderState::ALL
            .iter()
            .map(|state| StateOption {
                value: state.as_str(),
                label: state_label(&shell, *state),
                selected: query.filter.state == Some(*state),
            })
            .collect(),
        counterparty,
        from: query.from,
        until: query.until,
        rows,
        next_page,
    };
    render(&page)
}
