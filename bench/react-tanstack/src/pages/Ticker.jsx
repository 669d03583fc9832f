import { useQuery } from '@tanstack/react-query'
import { Link, useParams } from 'react-router'
import { historyQuery, portfolioQuery, quoteQuery } from '../api.js'
import {
  formatMoney,
  formatPercent,
  formatPrice,
  formatSigned,
  formatTime,
  formatVolume,
  signClass,
} from '../format.js'
import PriceChart from '../components/PriceChart.jsx'

export default function Ticker() {
  const symbol = useParams().symbol.toUpperCase()
  const quote = useQuery(quoteQuery(symbol))
  const history = useQuery(historyQuery(symbol, '1y'))
  const portfolio = useQuery(portfolioQuery)
  const position = portfolio.data?.positions.find((p) => p.symbol === symbol)

  return (
    <div className="ticker">
      <p>
        <Link to="/">← Watchlist</Link>
      </p>
      <section className="panel">
        <h2>{symbol}</h2>
        {quote.isPending ? (
          <p className="muted">Loading quote…</p>
        ) : quote.isError ? (
          <p className="error" role="alert">
            {quote.error.message}
          </p>
        ) : (
          <div className="quote">
            <span className="big" data-testid="price">
              {formatPrice(quote.data.price)}
            </span>
            <span className={signClass(quote.data.change)}>
              {formatSigned(quote.data.change)} ({formatPercent(quote.data.change_percent)})
            </span>
            <span className="muted">
              Vol {formatVolume(quote.data.volume)} · as of {formatTime(quote.data.timestamp)}
            </span>
          </div>
        )}
      </section>

      <section className="panel">
        <h2>1 year</h2>
        {history.isPending ? (
          <p className="muted">Loading history…</p>
        ) : history.isError ? (
          <p className="error" role="alert">
            {history.error.message}
          </p>
        ) : (
          <PriceChart bars={history.data.bars} />
        )}
      </section>

      {position && (
        <section className="panel" data-testid="position">
          <h2>Your position</h2>
          <dl className="totals">
            <dt>Quantity</dt>
            <dd>{position.quantity}</dd>
            <dt>Average cost</dt>
            <dd>{formatPrice(position.average_cost)}</dd>
            {quote.data && (
              <>
                <dt>Value</dt>
                <dd>{formatMoney(position.quantity * quote.data.price)}</dd>
              </>
            )}
          </dl>
        </section>
      )}
    </div>
  )
}
