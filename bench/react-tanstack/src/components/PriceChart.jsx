const WIDTH = 640
const HEIGHT = 240
const PAD = 8

export default function PriceChart({ bars }) {
  if (bars.length < 2) return <p className="muted">Not enough history to draw.</p>

  const closes = bars.map((b) => b.close)
  const min = Math.min(...closes)
  const max = Math.max(...closes)
  const span = max - min || 1
  const x = (i) => PAD + (i / (bars.length - 1)) * (WIDTH - 2 * PAD)
  const y = (v) => HEIGHT - PAD - ((v - min) / span) * (HEIGHT - 2 * PAD)
  const points = closes.map((c, i) => `${x(i).toFixed(1)},${y(c).toFixed(1)}`).join(' ')
  const up = closes[closes.length - 1] >= closes[0]

  return (
    <svg
      className="chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={`Close prices from ${bars[0].date} to ${bars[bars.length - 1].date}`}
    >
      <polyline points={points} fill="none" className={up ? 'line up' : 'line down'} />
    </svg>
  )
}
