//! A Redis pub/sub subscriber that keeps itself subscribed: it reconnects with back-off, pings
//! the subscription so a hung Redis is noticed, and ends on shutdown. What a feature does with
//! the subscription (flags, resyncs, messages, its log lines) is its [`Subscriber`].

use std::future::Future;
use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::watch;

use super::RedisCache;

const BACKOFF_MIN: Duration = Duration::from_millis(250);
const BACKOFF_MAX: Duration = Duration::from_secs(5);
/// Bounds connecting and subscribing, like the cache's connect timeout.
const SUBSCRIBE_TIMEOUT: Duration = Duration::from_secs(1);
/// A ping on the subscription notices a hung Redis, which a silent socket would not show.
const PING_EVERY: Duration = Duration::from_secs(1);
const PING_TIMEOUT: Duration = Duration::from_millis(300);

/// What one feature does with its subscription.
pub trait Subscriber: Send + Sync {
    /// Stopping beyond the stop channel (the app is shutting down).
    fn is_stopping(&self) -> bool;
    /// Subscribed; nothing published from now on is missed. `again` once a failure or a lost
    /// subscription was reported.
    fn on_subscribed(&self, again: bool) -> impl Future<Output = ()> + Send;
    fn on_message(&self, payload: &str) -> impl Future<Output = ()> + Send;
    fn on_unreadable(&self, error: &redis::RedisError);
    /// The subscription ended: `lost`, or stopped (the task ends).
    fn on_ended(&self, lost: bool);
    /// Subscribing failed; told only until the first report.
    fn on_unavailable(&self, error: &anyhow::Error);
}

enum Ended {
    Stop,
    Lost,
}

fn stopping(handler: &impl Subscriber, stop: &watch::Receiver<bool>) -> bool {
    crate::state::stop_signalled(stop) || handler.is_stopping()
}

/// Stays subscribed to `channel` until `stop` fires, the app's handles are dropped or the
/// handler says it is stopping.
pub async fn run(
    redis: RedisCache,
    channel: String,
    mut stop: watch::Receiver<bool>,
    handler: impl Subscriber,
) {
    let mut backoff = BACKOFF_MIN;
    let mut reported = false;
    loop {
        if stopping(&handler, &stop) {
            return;
        }
        match subscribe(&redis, &channel).await {
            Ok(pubsub) => {
                backoff = BACKOFF_MIN;
                handler.on_subscribed(reported).await;
                let ended = listen(&handler, pubsub, &mut stop).await;
                handler.on_ended(matches!(ended, Ended::Lost));
                if let Ended::Stop = ended {
                    return;
                }
                reported = true;
            }
            Err(e) => {
                if !reported {
                    handler.on_unavailable(&e);
                    reported = true;
                }
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(backoff) => {}
            _ = stop.changed() => return,
        }
        backoff = (backoff * 2).min(BACKOFF_MAX);
    }
}

async fn subscribe(redis: &RedisCache, channel: &str) -> anyhow::Result<redis::aio::PubSub> {
    let attempt = async {
        let mut pubsub = redis.client().get_async_pubsub().await?;
        pubsub.subscribe(channel).await?;
        Ok::<_, redis::RedisError>(pubsub)
    };
    Ok(tokio::time::timeout(SUBSCRIBE_TIMEOUT, attempt).await??)
}

async fn listen(
    handler: &impl Subscriber,
    pubsub: redis::aio::PubSub,
    stop: &mut watch::Receiver<bool>,
) -> Ended {
    let (mut sink, mut messages) = pubsub.split();
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            message = messages.next() => match message {
                Some(m) => match m.get_payload::<String>() {
                    Ok(payload) => handler.on_message(&payload).await,
                    Err(e) => handler.on_unreadable(&e),
                },
                None => return Ended::Lost,
            },
            _ = ping.tick() => {
                if stopping(handler, stop) {
                    return Ended::Stop;
                }
                let pong = tokio::time::timeout(PING_TIMEOUT, sink.ping::<redis::Value>()).await;
                if !matches!(pong, Ok(Ok(_))) {
                    return Ended::Lost;
                }
            }
            _ = stop.changed() => return Ended::Stop,
        }
    }
}
