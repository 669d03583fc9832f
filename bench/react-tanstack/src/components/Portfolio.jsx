import { useQueries, useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { portfolioQuery, quoteQuery } from '../api.js'
import { formatMoney, formatPrice, signClass } from '../format.js'

export default function Portfolio() {
  const { data: portfolio, isPending, isError, error } = useQuery(portfolioQuery)
  const positions = portfolio?.positions ?? []

  // Same keys as the watchlist rows, so these share their cache entries.
  const quotes = useQueries({
    queries: positions.map((p) => quoteQuery(p.symbol)),
  })

  if (isPending) {
    return (
      <section className="panel" data-testid="portfolio">
        <h2>Portfolio</h2>
        <p className="muted">Loading portfolio…</p>
      </section>
    )
  }

  if (isError) {
    return (
      <section className="panel" data-testid="portfolio">
        <h2>Portfolio</h2>
        <p className="error" role="alert">
          {error.message}
        </p>
      </section>
    )
  }

  const rows = positions.map((position, i) => {
    const price = quotes[i]?.data?.price
    const value = price === undefined ? undefined : position.quantity * price
    const gain = value === undefined ? undefined : value - position.quantity * position.average_cost
    return { position, price, value, gain, error: quotes[i]?.error }
  })
  const allValued = rows.every((r) => r.value !== undefined)
  const invested = rows.reduce((sum, r) => sum + (r.value ?? 0), 0)
  const total = allValued ? portfolio.cash + invested : undefined

  return (
    <section className="panel" data-testid="portfolio">
      <h2>Portfolio</h2>
      <table>
        <thead>
          <tr>
            <th>Symbol</th>
            <th className="num">Qty</th>
            <th className="num">Avg cost</th>
            <th className="num">Price</th>
            <th className="num">Value</th>
            <th className="num">Gain</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ position, price, value, gain, error }) => (
            <tr key={position.symbol} data-testid="position" data-symbol={position.symbol}>
              <td className="symbol">
                <Link to={`/t/${position.symbol}`}>{position.symbol}</Link>
              </td>
              <td className="num">{position.quantity}</td>
              <td className="num">{formatPrice(position.average_cost)}</td>
              <td className="num">{price === undefined ? (error ? '—' : '…') : formatPrice(price)}</td>
              <td className="num">{value === undefined ? '…' : formatMoney(value)}</td>
              <td className={`num ${signClass(gain)}`}>
                {gain === undefined ? '…' : formatMoney(gain)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="totals">
        <dt>Cash</dt>
        <dd data-testid="cash">{formatMoney(portfolio.cash)}</dd>
        <dt>Total</dt>
        <dd data-testid="total-value">{total === undefined ? '…' : formatMoney(total)}</dd>
      </dl>
    </section>
  )
}
