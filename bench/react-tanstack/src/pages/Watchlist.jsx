import { WATCHLIST } from '../api.js'
import QuoteRow from '../components/QuoteRow.jsx'
import Portfolio from '../components/Portfolio.jsx'

export default function Watchlist() {
  return (
    <div className="dashboard">
      <section className="panel">
        <h2>Watchlist</h2>
        <table data-testid="watchlist">
          <thead>
            <tr>
              <th>Symbol</th>
              <th className="num">Price</th>
              <th className="num">Change</th>
              <th className="num">Change %</th>
              <th className="num">Volume</th>
              <th>As of</th>
            </tr>
          </thead>
          <tbody>
            {WATCHLIST.map((symbol) => (
              <QuoteRow key={symbol} symbol={symbol} />
            ))}
          </tbody>
        </table>
      </section>
      <Portfolio />
    </div>
  )
}
