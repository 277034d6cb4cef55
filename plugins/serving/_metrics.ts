import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Latency buckets in seconds, fine between 0.5 and 50 ms where a served model's answers fall. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

/**
 * The server's Prometheus metrics, in a Registry of its own: an embedding application's default
 * registry is never touched, and two servers in one process do not collide.
 * @example
 * const metrics = new ServerMetrics();
 * metrics.request('/invocations', 200, 'penguins', 0.002);
 * (await metrics.text()).body; // Prometheus text
 */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({ name: 'mlcycle_requests_total', help: 'HTTP requests by route, status and model', labelNames: ['route', 'status', 'model'], registers: [this.registry] });
  private readonly errors = new Counter({ name: 'mlcycle_request_errors_total', help: 'Requests answered with status >= 400, by route, status and model', labelNames: ['route', 'status', 'model'], registers: [this.registry] });
  private readonly latency = new Histogram({ name: 'mlcycle_request_duration_seconds', help: 'Time from request received to response sent', labelNames: ['route', 'model'], buckets: LATENCY_BUCKETS, registers: [this.registry] });
  private readonly classes = new Counter({ name: 'mlcycle_predictions_total', help: 'Predicted rows per class (classifiers)', labelNames: ['model', 'class'], registers: [this.registry] });
  private readonly values = new Histogram({ name: 'mlcycle_predicted_value', help: 'Predicted values (regression models)', labelNames: ['model'], registers: [this.registry] });
  private readonly rows = new Counter({ name: 'mlcycle_rows_predicted_total', help: 'Rows predicted', labelNames: ['model', 'version'], registers: [this.registry] });
  private readonly version = new Gauge({ name: 'mlcycle_model_version', help: 'The model version being served (value = version, 0 for a bundle folder)', labelNames: ['name', 'version', 'uri'], registers: [this.registry] });
  private readonly inFlight = new Gauge({ name: 'mlcycle_requests_in_flight', help: 'Prediction requests received and not yet answered', registers: [this.registry] });
  private readonly shown = new Map<string, { version: string; uri: string }>();

  request(route: string, status: number, model: string, seconds: number): void {
    const labels = { route, status: String(status), model };
    this.requests.inc(labels);
    if (status >= 400) this.errors.inc(labels);
    this.latency.observe({ route, model }, seconds);
  }

  predicted(model: string, version: number | null, predictions: unknown[], classifier: boolean): void {
    this.rows.inc({ model, version: String(version ?? '') }, predictions.length);
    for (const p of predictions) {
      if (classifier) this.classes.inc({ model, class: String(p) });
      else if (typeof p === 'number' && Number.isFinite(p)) this.values.observe({ model }, p);
    }
  }

  /** Shows `version` as the one served under `name`, replacing the series of the version before it. */
  serving(name: string, version: number | null, uri: string): void {
    const before = this.shown.get(name);
    if (before) this.version.remove({ name, ...before });
    const labels = { version: String(version ?? ''), uri };
    this.version.set({ name, ...labels }, version ?? 0);
    this.shown.set(name, labels);
  }

  setInFlight(n: number): void {
    this.inFlight.set(n);
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
