package server

import "github.com/prometheus/client_golang/prometheus"

// listenerCollector reports the LISTEN connection that feeds subscriptions:
// whether it is in place, and how often it was lost and came back.
type listenerCollector struct{ l ListenerStatus }

var (
	listenerUp         = prometheus.NewDesc("exithub_listener_up", "1 while the LISTEN connection feeding subscriptions is in place.", nil, nil)
	listenerLosses     = prometheus.NewDesc("exithub_listener_losses_total", "Times the LISTEN connection was lost (each ends every open subscription).", nil, nil)
	listenerReconnects = prometheus.NewDesc("exithub_listener_reconnects_total", "Times LISTEN was in place again after a loss.", nil, nil)
)

// Describe implements prometheus.Collector.
func (listenerCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- listenerUp
	ch <- listenerLosses
	ch <- listenerReconnects
}

// Collect implements prometheus.Collector.
func (c listenerCollector) Collect(ch chan<- prometheus.Metric) {
	up := 0.0
	if c.l.Listening() {
		up = 1
	}
	ch <- prometheus.MustNewConstMetric(listenerUp, prometheus.GaugeValue, up)
	ch <- prometheus.MustNewConstMetric(listenerLosses, prometheus.CounterValue, float64(c.l.Losses()))
	ch <- prometheus.MustNewConstMetric(listenerReconnects, prometheus.CounterValue, float64(c.l.Reconnects()))
}
