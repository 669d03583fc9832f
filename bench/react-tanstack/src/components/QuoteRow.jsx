import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { quoteQuery } from '../api.js'
import {
  formatPercent,
  formatPrice,
  formatSigned,
  formatTime,
  formatVolume,
  signClass,
} from '../format.js'

export default function QuoteRow({ symbol }) {
  const { data: quote, isPending, isError, error } = useQuery(quoteQuery(symbol))

  return (
    <tr data-testid="quote-row" data-symbol={symbol}>
      <td className="symbol">
        <Link to={`/t/${symbol}`}>{symbol}</Link>
      </td>
      {isPending ? (
        <>
          <td data-testid="price" className="num">
            <span className="skeleton">…</span>
          </td>
          <td className="num">…</td>
          <td className="num">…</td>
          <td className="num">…</td>
          <td>…</td>
        </>
      ) : isError ? (
        <>
          <td data-testid="price" className="num">
            —
          </td>
          <td colSpan={4} className="error" role="alert">
            {error.message}
          </td>
        </>
      ) : (
        <>
          <td data-testid="price" className="num">
            {formatPrice(quote.price)}
          </td>
          <td className={`num ${signClass(quote.change)}`}>{formatSigned(quote.change)}</td>
          <td className={`num ${signClass(quote.change_percent)}`}>
            {formatPercent(quote.change_percent)}
          </td>
          <td className="num">{formatVolume(quote.volume)}</td>
          <td className="muted">{formatTime(quote.timestamp)}</td>
        </>
      )}
    </tr>
  )
}
