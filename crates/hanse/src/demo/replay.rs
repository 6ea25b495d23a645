//! The demo network's last four months, replayed: the money history
//! (`money.rs`) and the orders (`orders.rs`) step by step in the order they
//! happened, through the payment and trade services on a clock of their own,
//! which starts about 120 days back and only moves forward.
//!
//! Between two steps the network does what a server running all along would
//! have done, at the moment it was due: the sandbox carrier reports each
//! parcel's progress, trade's timers fire (unpaid orders are cancelled,
//! deliveries confirm themselves, unanswered refunds lapse) and completed
//! orders are settled. The replay jumps from one such moment to the next, so
//! every timestamp is one the network itself would have written.
//!
//! Loading is idempotent as a whole: if any demo company has money or orders,
//! nothing is replayed. The ledger is checked afterwards.

use std::collections::HashMap;

use anyhow::Context as _;
use kernel::jobs::{JobRunner, JobRunnerOptions, JobState};

use super::clock::{HISTORY_DAYS, HistoryClock};
use super::every_page;
use super::money::{self, DemoMember, MONEY_HISTORY, MoneyReplay, MoneySummary, TimedMoneyStep};
use super::orders::{self, OrderPlan, OrderReplay, OrdersSummary, PlannedOrder, PlannedStep};

/// More rounds of background work than the four months can need: reaching
/// it means something fell due again and again without being done.
const ROUNDS_MAX: usize = 10_000;

/// Replays the money and the orders unless they were loaded before; answers
/// what the demo companies hold and have ordered now. Call it after the
/// companies and the catalog exist.
pub(super) async fn load_history(
    services: &web::Services,
) -> anyhow::Result<(MoneySummary, OrdersSummary)> {
    let Some(members) = money::demo_members(&services.identity).await? else {
        return Ok((MoneySummary::NONE, OrdersSummary::NONE));
    };
    let history_clock = HistoryClock::starting_days_ago(services.clock.now(), HISTORY_DAYS);
    let clock = history_clock.shared();
    let ledger = ledger::Ledger::start(
        services.db.clone(),
        clock.clone(),
        ledger::GroupCommitOptions::default(),
    );
    let pay = pay::Pay::new(
        services.db.clone(),
        clock.clone(),
        ledger,
        money::sandbox_only(&services.db, clock.clone()),
    );
    // The demo's parcels travel with a sandbox carrier of its own; the
    // server's carrier, with its own secret, reports their later steps.
    let carriers = trade::Carriers::none().with_sandbox(std::sync::Arc::new(
        trade::SandboxCarrier::with_random_secret(services.db.clone(), clock.clone()),
    ));
    let trade = trade::Trade::new(
        services.db.clone(),
        clock.clone(),
        services.market.clone(),
        pay.clone(),
        carriers,
    )
    .with_stock_keeper(std::sync::Arc::new(scm::ScmStockKeeper::new(
        services.db.clone(),
    )));

    let mut money_created = 0;
    let mut orders_created = 0;
    if !money::money_already_loaded(&pay, &members).await?
        && !orders::orders_exist(&trade, &members).await?
    {
        // The suppliers' stock is there before the first order reserves it.
        let items = super::stock::stock_suppliers(services, &members, clock.clone())
            .await
            .context("the demo suppliers' stock")?;
        tracing::info!(demo.items = items, "demo stock loaded");
        super::opening::open_books(services, &members, clock.clone())
            .await
            .context("the demo's opening balances")?;
        let replayed = replay(services, &members, &history_clock, &pay, &trade).await?;
        money_created = replayed.0;
        orders_created = replayed.1;
        super::stock::after_the_history(services, &members, clock.clone())
            .await
            .context("the demo's counts and replenishment")?;
        super::invoices::invoices_by_hand(services, &members, clock.clone())
            .await
            .context("the demo's invoices by hand")?;
        let check = pay.check_ledger().await?;
        anyhow::ensure!(
            check.balanced(),
            "the ledger does not balance after loading the demo history: {:?}",
            check.violations
        );
    }
    let money = MoneySummary {
        created: money_created,
        ..money::count_money(&pay, &members).await?
    };
    let orders = OrdersSummary {
        created: orders_created,
        ..orders::count_orders(&trade, &members).await?
    };
    tracing::info!(
        demo.wallets = money.wallets,
        demo.statement_lines = money.statement_lines,
        demo.escrows = money.escrows,
        demo.orders = orders.orders,
        demo.open_orders = orders.open,
        demo.created = money.created + orders.created,
        "demo money and orders loaded"
    );
    Ok((money, orders))
}

/// One step of either history.
enum Step<'a> {
    Money(&'a TimedMoneyStep),
    Order(&'a PlannedOrder, &'a PlannedStep),
}

impl Step<'_> {
    /// When it happens; at the same hour, money comes first, so a top-up is
    /// in the wallet before the payment it is for.
    fn at(&self) -> (i64, i64, u8) {
        match self {
            Step::Money(timed) => (timed.day, timed.hour_utc, 0),
            Step::Order(_, step) => (step.day, step.hour, 1),
        }
    }
}

/// Replays both histories; answers how many money records and orders it made.
async fn replay(
    services: &web::Services,
    members: &HashMap<&'static str, DemoMember>,
    history_clock: &HistoryClock,
    pay: &pay::Pay,
    trade: &trade::Trade,
) -> anyhow::Result<(usize, usize)> {
    let plan = OrderPlan::read()?;
    let operator = services
        .identity
        .user_by_email(super::DEMO_OPERATOR_EMAIL)
        .await?
        .filter(|user| user.is_operator)
        .context("the demo operator is missing; load the demo network first")?;
    let mut money_replay = MoneyReplay::new(pay, members);
    let mut order_replay =
        OrderReplay::new(trade, &services.market, members, &plan, operator.id).await?;
    let background = Background::new(&services.db, trade, history_clock);

    let mut steps: Vec<Step> = MONEY_HISTORY.iter().map(Step::Money).collect();
    for order in &plan.order {
        steps.extend(order.steps.iter().map(|step| Step::Order(order, step)));
    }
    // A stable sort keeps each history's own order within an hour.
    steps.sort_by_key(Step::at);
    for step in &steps {
        let (day, hour, _) = step.at();
        let at = history_clock.at(day, hour);
        background
            .run_until(at, Settle::Yes, &order_replay)
            .await
            .with_context(|| format!("the demo network's background work before day {day}"))?;
        history_clock.move_to(day, hour)?;
        match step {
            Step::Money(timed) => money_replay
                .apply(timed, history_clock)
                .await
                .with_context(|| format!("the demo money step on day {day}"))?,
            Step::Order(order, planned) => order_replay.apply(order, planned).await?,
        }
    }
    // The last hours up to the load, without the settlement that would
    // follow a confirmation by the clock: that order stays completed until
    // the server's first round releases it, as it would on a running server.
    background
        .run_until(history_clock.end(), Settle::No, &order_replay)
        .await
        .context("the demo network's background work on the last day")?;
    order_replay.check_ends(&plan).await?;

    orders::accept_quotation(services, members, &plan.quotation)
        .await
        .context("the demo order from an accepted quotation")?;
    Ok((money_replay.created, order_replay.created + 1))
}

/// Whether a round of background work settles the orders it completed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Settle {
    Yes,
    No,
}

/// The work a server does beside its requests, done at the moments it falls
/// due on the demo's clock.
struct Background<'a> {
    db: &'a kernel::Db,
    trade: &'a trade::Trade,
    jobs: JobRunner,
    history_clock: &'a HistoryClock,
}

impl<'a> Background<'a> {
    fn new(db: &'a kernel::Db, trade: &'a trade::Trade, history_clock: &'a HistoryClock) -> Self {
        let jobs = JobRunner::new(
            db.clone(),
            history_clock.shared(),
            trade::timers::handlers(trade),
            JobRunnerOptions::default(),
        );
        Background {
            db,
            trade,
            jobs,
            history_clock,
        }
    }

    /// Runs a round at every moment something falls due, up to `target`.
    async fn run_until(
        &self,
        target: kernel::Timestamp,
        settle: Settle,
        orders: &OrderReplay<'_>,
    ) -> anyhow::Result<()> {
        for _ in 0..ROUNDS_MAX {
            match self.next_due(orders).await? {
                Some(due) if due <= target => {
                    self.history_clock.move_to_instant(due)?;
                    self.round(settle).await?;
                }
                _ => return Ok(()),
            }
        }
        anyhow::bail!("the demo network's background work never comes to rest")
    }

    /// The earliest moment a trade timer or a parcel's next report is due.
    async fn next_due(
        &self,
        orders: &OrderReplay<'_>,
    ) -> anyhow::Result<Option<kernel::Timestamp>> {
        let timer_kinds = [
            trade::timers::CANCEL_UNPAID,
            trade::timers::AUTO_CONFIRM,
            trade::timers::REFUND_ANSWER_DUE,
        ];
        let timers =
            every_page(|page| kernel::jobs::list(self.db, Some(JobState::Scheduled), page))
                .await?
                .into_iter()
                .filter(|job| timer_kinds.contains(&job.kind.as_str()))
                .map(|job| job.scheduled_at);
        let mut due = timers.min();
        let sandbox = self
            .trade
            .carriers()
            .sandbox()
            .context("the demo's trade service has no sandbox carrier")?;
        for seller in &orders.shippers {
            let parcels = sandbox
                .parcels(*seller, i64::from(kernel::page::PAGE_SIZE_MAX))
                .await?;
            due = parcels
                .iter()
                .filter_map(|parcel| parcel.next_at)
                .chain(due)
                .min();
        }
        Ok(due)
    }

    /// One round, as `trade::rounds` and the job runner do it on a server:
    /// the carrier's reports, the due timers, then the settlements.
    async fn round(&self, settle: Settle) -> anyhow::Result<()> {
        self.trade.sandbox_carrier_tick().await?;
        loop {
            let round = self.jobs.run_due_once().await?;
            anyhow::ensure!(
                round.retried == 0 && round.failed == 0 && round.leases_exhausted == 0,
                "a trade timer failed in the demo history: {round:?}"
            );
            if round.claimed < self.jobs.options().batch_size {
                break;
            }
        }
        if settle == Settle::Yes {
            self.trade.finish_settlements().await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashSet};
    use std::sync::Arc;

    use kernel::{Actor, Clock as _, Currency, Role, Scope};
    use trade::{LineStock, OrderState, Perspective, RefundStatus};

    use super::*;
    use crate::demo::catalog::listed_products;
    use crate::demo::company_names::{HENGXIN_THERMOS, VOGEL_HAMBURG};
    use crate::demo::{DEMO_BUYER_EMAIL, DEMO_SUPPLIER_EMAIL, load_network};

    /// The services as `hanse serve --demo` builds them, on `db`.
    fn services_on(db: kernel::Db, directory: &std::path::Path) -> web::Services {
        let mailer = identity::mail::MailboxMailer::new(
            directory.join("mailbox"),
            "Hanse <noreply@hanse.demo>".parse().unwrap(),
        )
        .unwrap();
        web::Services::new(
            db,
            Arc::new(kernel::SystemClock),
            Arc::new(mailer),
            identity::HashCost::FAST_INSECURE,
            "http://127.0.0.1:8080".into(),
            web::NodeFiles {
                images_dir: directory.join("images"),
                search: Arc::new(market::search_feed::SearchIndexes::in_memory().unwrap()),
            },
            web::PaymentSettings::random_sandbox(),
        )
        .unwrap()
    }

    async fn row_count(db: &kernel::Db, table: &str) -> i64 {
        use kernel::sqlx::Row as _;
        kernel::sqlx::query(&format!("SELECT COUNT(*) AS row_count FROM {table}"))
            .fetch_one(db.reader())
            .await
            .unwrap()
            .try_get("row_count")
            .unwrap()
    }

    /// What a second load must not change.
    async fn written_rows(db: &kernel::Db) -> Vec<(&'static str, i64)> {
        let mut counts = Vec::new();
        for table in [
            "trade_order",
            "trade_order_line",
            "trade_order_history",
            "trade_shipment",
            "trade_tracking_event",
            "trade_refund",
            "trade_dispute",
            "pay_escrow",
            "pay_top_up",
            "pay_withdrawal",
            "ledger_transfer",
            "kernel_job",
            "kernel_outbox",
        ] {
            counts.push((table, row_count(db, table).await));
        }
        counts
    }

    /// Every order of the demo, with the scope of its buyer.
    async fn every_order(
        trade: &trade::Trade,
        members: &HashMap<&'static str, DemoMember>,
    ) -> Vec<(trade::Order, Scope)> {
        let filter = trade::OrderFilter::default();
        let mut orders = Vec::new();
        for member in members.values() {
            let scope = member.owner_scope;
            let bought = every_page(|page| trade.orders(&scope, Perspective::Buyer, &filter, page))
                .await
                .unwrap();
            orders.extend(bought.into_iter().map(|order| (order, scope)));
        }
        orders
    }

    kernel::storage_test!(
        loading_twice_replays_orders_in_every_state_once,
        web::migrations(),
        |db: kernel::Db| async move {
            let directory = tempfile::tempdir().unwrap();
            let services = services_on(db.clone(), directory.path());
            let plan = OrderPlan::read().unwrap();

            let first = load_network(&services).await.unwrap();
            assert_eq!(
                first.orders.orders,
                plan.order.len() + 1,
                "the plan and the quotation's"
            );
            assert_eq!(first.orders.created, first.orders.orders);
            let paid = plan
                .order
                .iter()
                .filter(|order| {
                    order
                        .steps
                        .iter()
                        .any(|step| matches!(step.action, orders::Action::Pay))
                })
                .count();
            assert_eq!(
                first.money.escrows, paid,
                "an escrow per paid order, none without one"
            );
            assert_eq!(first.money.created, money::records_in_history());

            let members = money::demo_members(&services.identity)
                .await
                .unwrap()
                .unwrap();
            let trade = &services.trade;
            let orders = every_order(trade, &members).await;
            let states: HashSet<OrderState> = orders.iter().map(|(order, _)| order.state).collect();
            for state in OrderState::ALL {
                assert!(
                    states.contains(&state),
                    "no demo order is {}",
                    state.as_str()
                );
            }

            // The claims and the clock's work, each as the plan has it.
            let mut cancelled_by_the_clock = 0;
            let mut refunded_before_shipping = 0;
            let mut refunded_in_part = 0;
            let mut awaiting_return = 0;
            let mut open_disputes_after_refusal = 0;
            let mut decided = 0;
            let mut shipped_with_tracking = 0;
            let now = kernel::SystemClock.now();
            for (order, _) in &orders {
                let timeline = trade.timeline(order).await.unwrap();
                assert!(
                    timeline.iter().all(|entry| entry.at < now),
                    "nothing lies in the future"
                );
                let kinds: Vec<&str> = timeline.iter().map(|entry| entry.kind.as_str()).collect();
                let refunds = trade.refunds(order).await.unwrap();
                let dispute = trade.dispute_of(order).await.unwrap();
                match order.state {
                    OrderState::Cancelled
                        if timeline.iter().any(|entry| {
                            entry.kind == "OrderCancelled" && entry.actor.is_none()
                        }) =>
                    {
                        cancelled_by_the_clock += 1
                    }
                    OrderState::Refunded if order.shipped_at.is_none() => {
                        refunded_before_shipping += 1
                    }
                    OrderState::Settled if order.refunded_minor > 0 && dispute.is_none() => {
                        assert!(order.delivered_at.is_some());
                        refunded_in_part += 1
                    }
                    OrderState::Shipped => {
                        let shipment = trade.shipment(order).await.unwrap().unwrap();
                        assert!(
                            shipment
                                .events
                                .iter()
                                .any(|event| event.status == trade::TrackingStatus::Departed),
                            "{:?}",
                            shipment.events
                        );
                        assert!(kinds.contains(&"Tracking"));
                        shipped_with_tracking += 1;
                    }
                    _ => {}
                }
                if refunds
                    .last()
                    .is_some_and(|refund| refund.status == RefundStatus::AwaitingReturn)
                {
                    assert_eq!(order.state, OrderState::Delivered);
                    awaiting_return += 1;
                }
                match dispute {
                    Some(dispute)
                        if dispute.status == "open" && kinds.contains(&"RefundRefused") =>
                    {
                        open_disputes_after_refusal += 1
                    }
                    Some(dispute) if dispute.status == "resolved" => {
                        assert!(!dispute.decision.is_empty());
                        assert!(order.state.is_closed());
                        decided += 1
                    }
                    _ => {}
                }
            }
            assert!(cancelled_by_the_clock >= 1);
            assert!(refunded_before_shipping >= 1);
            assert!(refunded_in_part >= 1);
            assert!(awaiting_return >= 1);
            assert!(open_disputes_after_refusal >= 1);
            assert!(decided >= 1);
            assert!(shipped_with_tracking >= 2);
            let from_quotation: Vec<_> = orders
                .iter()
                .filter(|(order, _)| order.quotation_id.is_some())
                .collect();
            assert_eq!(from_quotation.len(), 1);
            assert_eq!(from_quotation[0].0.state, OrderState::Confirmed);
            // Settled orders spread over the months.
            let settled_at: Vec<kernel::Timestamp> = orders
                .iter()
                .filter_map(|(order, _)| order.settled_at)
                .collect();
            let spread_days = (settled_at.iter().max().unwrap().micros()
                - settled_at.iter().min().unwrap().micros())
                / 1_000_000
                / crate::demo::clock::SECONDS_PER_DAY;
            assert!(spread_days > 60, "{spread_days} days");

            // The README's buyer and supplier have a living order list together.
            let vogel = members[VOGEL_HAMBURG].company_id;
            let hengxin = members[HENGXIN_THERMOS].company_id;
            let between: Vec<&trade::Order> = orders
                .iter()
                .map(|(order, _)| order)
                .filter(|order| order.buyer == vogel && order.seller == hengxin)
                .collect();
            let their_states: HashSet<OrderState> =
                between.iter().map(|order| order.state).collect();
            assert!(
                between.len() >= 5 && their_states.len() >= 4,
                "{their_states:?}"
            );
            for email in [DEMO_BUYER_EMAIL, DEMO_SUPPLIER_EMAIL] {
                let user = services
                    .identity
                    .user_by_email(email)
                    .await
                    .unwrap()
                    .unwrap();
                let company = if email == DEMO_BUYER_EMAIL {
                    vogel
                } else {
                    hengxin
                };
                let scope = Scope::new(company, Actor::User(user.id), Role::Owner);
                let perspective = if email == DEMO_BUYER_EMAIL {
                    Perspective::Buyer
                } else {
                    Perspective::Seller
                };
                let listed = trade
                    .orders(
                        &scope,
                        perspective,
                        &trade::OrderFilter::default(),
                        kernel::PageRequest::first(),
                    )
                    .await
                    .unwrap();
                assert!(listed.items.len() >= 5, "{email} sees an order list");
            }

            // Stock: what is left, what open orders hold and what was shipped
            // add up to what each product was listed with.
            let listed: HashMap<(&str, String), i64> = listed_products()
                .into_iter()
                .map(|product| ((product.company, product.sku), product.available_quantity))
                .collect();
            let mut held: BTreeMap<market::ProductId, i64> = BTreeMap::new();
            for (order, _) in &orders {
                for line in &order.lines {
                    let Some(product) = line.product_id else {
                        assert_eq!(line.stock, LineStock::None);
                        continue;
                    };
                    let entry = held.entry(product).or_default();
                    match line.stock {
                        LineStock::Reserved => {
                            assert!(!order.state.is_closed() && order.shipped_at.is_none());
                            *entry += line.quantity;
                        }
                        LineStock::Consumed => *entry += line.quantity,
                        LineStock::Released | LineStock::Returned => {}
                        LineStock::None => panic!("a product line without stock"),
                    }
                }
            }
            for (legal_name, member) in &members {
                let products = every_page(|page| {
                    services
                        .market
                        .own_products(&member.owner_scope, None, page)
                })
                .await
                .unwrap();
                for product in products {
                    let Some(held) = held.get(&product.id) else {
                        continue;
                    };
                    let initial = listed[&(*legal_name, product.sku.clone())];
                    assert_eq!(
                        product.available_quantity + held,
                        initial,
                        "{legal_name} {}",
                        product.sku
                    );
                }
            }

            // Escrow: what is held is exactly what the paid, unsettled orders hold.
            let mut order_totals: BTreeMap<Currency, i64> = BTreeMap::new();
            let mut held_orders = HashSet::new();
            for (order, _) in &orders {
                if order.state.holds_escrow() {
                    *order_totals.entry(order.currency).or_default() += order.total_minor;
                    held_orders.insert(order.id.raw());
                }
            }
            let order_ids: HashSet<i64> = orders.iter().map(|(order, _)| order.id.raw()).collect();
            let mut escrow_totals: BTreeMap<Currency, i64> = BTreeMap::new();
            let mut escrows_seen = HashSet::new();
            for member in members.values() {
                for escrow in every_page(|page| services.pay.escrows(&member.owner_scope, page))
                    .await
                    .unwrap()
                {
                    if !escrows_seen.insert(escrow.id) {
                        continue;
                    }
                    assert!(
                        order_ids.contains(&escrow.order_reference),
                        "an escrow without an order"
                    );
                    if escrow.status == "held" {
                        assert!(held_orders.contains(&escrow.order_reference));
                        *escrow_totals.entry(escrow.amount.currency).or_default() +=
                            escrow.amount.minor;
                    }
                }
            }
            assert_eq!(escrow_totals, order_totals);

            // The ledger balances, and the wallets end with money in them.
            let check = services.pay.check_ledger().await.unwrap();
            assert!(check.balanced(), "{:?}", check.violations);
            for (legal_name, member) in &members {
                for balance in services.pay.balances(&member.owner_scope).await.unwrap() {
                    assert!(balance.available.minor > 0, "{legal_name}: {balance:?}");
                }
            }
            let vogel_scope = members[VOGEL_HAMBURG].owner_scope;
            let vogel_yuan = services
                .pay
                .balances(&vogel_scope)
                .await
                .unwrap()
                .into_iter()
                .find(|balance| balance.currency == Currency::CNY)
                .unwrap();
            assert!(
                vogel_yuan.available.minor >= from_quotation[0].0.total_minor,
                "Herr Vogel can pay the order from his quotation"
            );
            // Ms Chen's yuan statement reads in time order across money and orders.
            let chen_scope = members[HENGXIN_THERMOS].owner_scope;
            let statement = services
                .pay
                .statement(
                    &chen_scope,
                    Currency::CNY,
                    kernel::PageRequest::new(None, Some(200)),
                )
                .await
                .unwrap();
            assert!(
                statement
                    .items
                    .windows(2)
                    .all(|pair| pair[0].at <= pair[1].at)
            );

            let rows_after_first = written_rows(&db).await;
            let second = load_network(&services).await.unwrap();
            assert_eq!(second.created(), 0, "{second:?}");
            assert_eq!(
                second.orders,
                OrdersSummary {
                    created: 0,
                    ..first.orders
                }
            );
            assert_eq!(
                second.money,
                MoneySummary {
                    created: 0,
                    ..first.money
                }
            );
            assert_eq!(written_rows(&db).await, rows_after_first);

            // A withdrawal left at the sandbox bank is confirmed today by the
            // application's own sandbox, whose webhook secret is another one.
            let waiting = services
                .pay
                .sandbox_operations(
                    pay::sandbox::SandboxViewer::of(&chen_scope),
                    kernel::PageRequest::first(),
                )
                .await
                .unwrap()
                .items
                .into_iter()
                .find(|operation| operation.status == "pending")
                .unwrap();
            services
                .pay
                .sandbox_settle(pay::sandbox::SandboxViewer::Operator, waiting.id, true)
                .await
                .unwrap();
            // And the server's first round releases the order the clock completed.
            assert_eq!(services.trade.finish_settlements().await.unwrap(), 1);
            assert!(services.pay.check_ledger().await.unwrap().balanced());
        }
    );
}
