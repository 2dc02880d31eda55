package dev.apilock.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;

/** Median cycle latency against history size, one panel per database, as a PNG. */
final class HistoryChart {

    private static final int PANEL_WIDTH = 640;
    private static final int HEIGHT = 440;

    private HistoryChart() {
    }

    static void write(List<DatabaseResults> databases, Path file) throws IOException {
        List<DatabaseResults> withHistory = databases.stream().filter(d -> !d.history.isEmpty()).toList();
        if (withHistory.isEmpty()) {
            return;
        }
        BufferedImage image = new BufferedImage(PANEL_WIDTH * withHistory.size(), HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        try {
            for (int i = 0; i < withHistory.size(); i++) {
                chart(withHistory.get(i)).draw(graphics, new Rectangle2D.Double(i * PANEL_WIDTH, 0, PANEL_WIDTH, HEIGHT));
            }
        } finally {
            graphics.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static JFreeChart chart(DatabaseResults results) {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        for (Map.Entry<String, TreeMap<Long, Series>> entry : results.history.entrySet()) {
            entry.getValue().forEach((size, series) ->
                    dataset.addValue(series.p50(), entry.getKey(), Report.rows(size) + " rows"));
        }
        JFreeChart chart = ChartFactory.createLineChart(results.kind.label + ": lock cycle vs history",
                "rows already in the table", "median cycle latency (µs)", dataset, PlotOrientation.VERTICAL,
                true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
        LineAndShapeRenderer renderer = (LineAndShapeRenderer) plot.getRenderer();
        renderer.setDefaultShapesVisible(true);
        for (int row = 0; row < dataset.getRowCount(); row++) {
            String label = dataset.getRowKey(row).toString();
            renderer.setSeriesPaint(row, colour(label));
            renderer.setSeriesStroke(row, label.contains("same type")
                    ? new BasicStroke(2.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {8f, 6f}, 0f)
                    : new BasicStroke(2.5f));
        }
        return chart;
    }

    private static Color colour(String label) {
        if (label.startsWith(Report.APILOCK)) {
            return new Color(0xC0392B);
        }
        return label.startsWith("ShedLock") ? new Color(0x2E86C1) : new Color(0x27AE60);
    }
}
