import { Fragment } from 'react';
import '../styles/codes.css';

interface Props {
  /** Groups separated by dashes, e.g. "K7QM-3XTP-9D2F". */
  code: string;
  className: string;
  id?: string;
}

/**
 * A code in monospace groups that wrap between groups only; its text (to select and copy) is the
 * code as given.
 */
export function GroupedCode({ code, className, id }: Props) {
  return (
    <p className={`grouped-code ${className}`} id={id}>
      {code.split('-').map((group, i) => (
        <Fragment key={i}>
          {i > 0 && (
            <>
              <span className="code-dash">-</span>
              <wbr />
            </>
          )}
          <span className="code-group">{group}</span>
        </Fragment>
      ))}
    </p>
  );
}
