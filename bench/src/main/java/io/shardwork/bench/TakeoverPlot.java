package io.shardwork.bench;

import java.util.List;
import java.util.Locale;

/**
 * An SVG of the takeover run, written without a plotting library: one panel per system, orders billed
 * per second (invoices by their timestamp, 500 ms buckets) against seconds since the panel's start, each
 * kill -9 a red line, each restart of the killed worker a grey dotted line.
 */
final class TakeoverPlot {
    /** One panel. */
    record Panel(String title, double bucketSeconds, long[] buckets, List<Double> killsAt, List<Double> restartsAt,
                 List<double[]> outages, String subtitle) {
    }

    private static final int WIDTH = 1000;
    private static final int PANEL_HEIGHT = 200;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 50;
    private static final int GAP = 70;

    private TakeoverPlot() {
    }

    static String svg(String title, List<Panel> panels) {
        int height = TOP + panels.size() * (PANEL_HEIGHT + GAP) + 10;
        double maxSeconds = panels.stream().mapToDouble(p -> p.buckets.length * p.bucketSeconds).max().orElse(1);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n", WIDTH, height, WIDTH, height));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", WIDTH, height));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"16\" font-weight=\"bold\">%s</text>\n", LEFT, esc(title)));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"40\" fill=\"#555\">orders billed per second (invoice timestamps, 0.5 s buckets, bursts clipped); "
                + "red: kill -9; shaded: until its last region was taken over; dotted: restart</text>\n", LEFT));
        double plotWidth = WIDTH - LEFT - RIGHT;
        for (int i = 0; i < panels.size(); i++) {
            Panel panel = panels.get(i);
            int top = TOP + 20 + i * (PANEL_HEIGHT + GAP);
            int bottom = top + PANEL_HEIGHT;
            // the scale follows the steady rate (2.5 x the median bucket): catch-up bursts after a takeover
            // (redelivered orders) are clipped at the top instead of flattening everything else
            long[] sorted = panel.buckets.clone();
            java.util.Arrays.sort(sorted);
            double median = sorted.length == 0 ? 1 : sorted[sorted.length / 2] / panel.bucketSeconds;
            double yMax = niceCeiling(Math.max(1, median * 2.5));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"14\" font-weight=\"bold\">%s</text>\n",
                    LEFT, top - 8, esc(panel.title)));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#555\" text-anchor=\"end\">%s</text>\n",
                    WIDTH - RIGHT, top - 8, esc(panel.subtitle)));
            // axes and grid
            for (int g = 0; g <= 4; g++) {
                double v = yMax * g / 4;
                double y = bottom - PANEL_HEIGHT * g / 4.0;
                s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>\n",
                        LEFT, y, WIDTH - RIGHT, y));
                s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#333\">%,.0f</text>\n",
                        LEFT - 6, y + 4, v));
            }
            double tickStep = niceCeiling(maxSeconds / 10);
            for (double t = 0; t <= maxSeconds + 1e-9; t += tickStep) {
                double x = LEFT + plotWidth * t / maxSeconds;
                s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>\n", x, bottom, x, bottom + 4));
                s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#333\">%.0f s</text>\n", x, bottom + 17, t));
            }
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n", LEFT, bottom, WIDTH - RIGHT, bottom));
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n", LEFT, top, LEFT, bottom));
            s.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" fill=\"#333\" transform=\"rotate(-90 16 %d)\" text-anchor=\"middle\">orders/s</text>\n",
                    (top + bottom) / 2, (top + bottom) / 2));
            // marks: the outage (kill to the last region taken over) shaded, kills red, restarts grey
            for (double[] o : panel.outages) {
                double x1 = LEFT + plotWidth * o[0] / maxSeconds;
                double x2 = LEFT + plotWidth * o[1] / maxSeconds;
                s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#d62728\" fill-opacity=\"0.12\"/>\n",
                        x1, top, Math.max(1, x2 - x1), PANEL_HEIGHT));
            }
            for (double r : panel.restartsAt) {
                double x = LEFT + plotWidth * r / maxSeconds;
                s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\" stroke-dasharray=\"2,3\"/>\n", x, top, x, bottom));
            }
            for (double k : panel.killsAt) {
                double x = LEFT + plotWidth * k / maxSeconds;
                s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#d62728\" stroke-width=\"1.5\"/>\n", x, top, x, bottom));
            }
            // the series
            StringBuilder points = new StringBuilder();
            for (int b = 0; b < panel.buckets.length; b++) {
                double x = LEFT + plotWidth * (b + 0.5) * panel.bucketSeconds / maxSeconds;
                double y = bottom - PANEL_HEIGHT * Math.min(1.0, (panel.buckets[b] / panel.bucketSeconds) / yMax);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            s.append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"").append(points.toString().trim()).append("\"/>\n");
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static double niceCeiling(double v) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= v) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
