# SPDX-License-Identifier: BSD-2-Clause
# bash completion for vnetlab: verbs, their flags, lab names, a running
# lab's nodes and NODE:HOOK endpoints (from `vnetlab complete`).
# Installed as share/bash-completion/completions/vnetlab.

_vnetlab_words() { vnetlab complete "$@" 2>/dev/null; }

_vnetlab()
{
	local cur prev verb lab i
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$(_vnetlab_words verbs)" -- "$cur"))
		return
	fi
	verb=${COMP_WORDS[1]}
	# The first word after the verb that is not a flag: the lab, for
	# the verbs that take one (link add|rm and node add|rm: the third).
	lab=
	for ((i = 2; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-*|add|rm) ;;
		*) lab=${COMP_WORDS[i]}; break ;;
		esac
	done
	case $verb in
	run)
		case $prev in
		--count|--wait|-w|--name|--link) return ;;
		--topo) COMPREPLY=($(compgen -W "minimal single, reversed, linear, tree, ring, torus," -- "$cur")); return ;;
		esac
		COMPREPLY=($(compgen -W "--json --count --wait --name --topo --link --mac" -- "$cur"))
		[[ $cur != -* ]] && COMPREPLY+=($(compgen -f -X '!*.@(yaml|yml|json)' -- "$cur"))
		;;
	up)
		case $prev in
		--name|--cmd-timeout|--link) return ;;
		--hosts) COMPREPLY=($(compgen -f -X '!*.@(yaml|yml|json)' -- "$cur")); return ;;
		--backend) COMPREPLY=($(compgen -W "linux freebsd" -- "$cur")); return ;;
		--topo) COMPREPLY=($(compgen -W "minimal single, reversed, linear, tree, ring, torus," -- "$cur")); return ;;
		esac
		COMPREPLY=($(compgen -W "--name --no-netns --quiet -v --keep-going --cmd-timeout --backend --hosts --topo --link --mac" -- "$cur"))
		[[ $cur != -* ]] && COMPREPLY+=($(compgen -f -X '!*.@(yaml|yml|json)' -- "$cur"))
		;;
	down)
		COMPREPLY=($(compgen -W "$(_vnetlab_words labs) --missing-ok" -- "$cur"))
		;;
	inspect)
		COMPREPLY=($(compgen -W "$(_vnetlab_words labs) --json" -- "$cur"))
		;;
	convert)
		case $prev in
		--link) return ;;
		--topo) COMPREPLY=($(compgen -W "minimal single, reversed, linear, tree, ring, torus," -- "$cur")); return ;;
		esac
		COMPREPLY=($(compgen -W "--topo --link --mac" -- "$cur"))
		[[ $cur != -* ]] && COMPREPLY+=($(compgen -f -- "$cur"))
		;;
	graph)
		case $prev in
		--link|-o|--output) [ "$prev" = --link ] || COMPREPLY=($(compgen -f -- "$cur")); return ;;
		-f|--format) COMPREPLY=($(compgen -W "dot svg png mermaid json" -- "$cur")); return ;;
		--engine) COMPREPLY=($(compgen -W "dot sfdp neato fdp circo twopi" -- "$cur")); return ;;
		--topo) COMPREPLY=($(compgen -W "minimal single, reversed, linear, tree, ring, torus," -- "$cur")); return ;;
		esac
		COMPREPLY=($(compgen -W "--format -f -o --output --addrs --engine --topo --link --mac" -- "$cur"))
		# FILE or a running LAB
		[[ $cur != -* ]] && COMPREPLY+=($(compgen -f -- "$cur") $(compgen -W "$(_vnetlab_words labs)" -- "$cur"))
		;;
	ls|doctor)
		COMPREPLY=($(compgen -W "--json" -- "$cur"))
		;;
	exec)
		if [ -z "$lab" ]; then
			COMPREPLY=($(compgen -W "$(_vnetlab_words labs) --user -U" -- "$cur"))
		elif [ "$prev" = "$lab" ]; then
			COMPREPLY=($(compgen -W "$(_vnetlab_words nodes "$lab")" -- "$cur"))
		else
			COMPREPLY=($(compgen -c -- "$cur"))
		fi
		;;
	logs|service)
		# LAB NODE SERVICE, then -f (logs) or the action (service)
		local -a w=()
		for ((i = 2; i < COMP_CWORD; i++)); do
			[[ ${COMP_WORDS[i]} == -* ]] || w+=("${COMP_WORDS[i]}")
		done
		case ${#w[@]} in
		0) COMPREPLY=($(compgen -W "$(_vnetlab_words labs)" -- "$cur")) ;;
		1) COMPREPLY=($(compgen -W "$(_vnetlab_words nodes "${w[0]}")" -- "$cur")) ;;
		2) COMPREPLY=($(compgen -W "$(_vnetlab_words services "${w[0]}" "${w[1]}")" -- "$cur")) ;;
		*) if [ "$verb" = logs ]; then COMPREPLY=($(compgen -W "-f --follow" -- "$cur"))
		   else COMPREPLY=($(compgen -W "start stop restart" -- "$cur")); fi ;;
		esac
		[ "$verb" = logs ] && [[ $cur == -* ]] && COMPREPLY=($(compgen -W "-f --follow" -- "$cur"))
		;;
	check)
		case $prev in --count|--timeout|--wait|-w) return ;;
		--state) COMPREPLY=($(compgen -f -- "$cur")); return ;; esac
		if [ -z "$lab" ]; then
			COMPREPLY=($(compgen -W "$(_vnetlab_words labs)" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "--json --count --timeout --wait --state" -- "$cur"))
		fi
		;;
	link)
		if [ "$COMP_CWORD" -eq 2 ]; then
			COMPREPLY=($(compgen -W "add rm $(_vnetlab_words labs)" -- "$cur"))
		elif [ -n "$lab" ] && [[ $cur == *:* || $prev == "$lab" || $prev == *:* && $COMP_CWORD -le 5 ]]; then
			COMPREPLY=($(compgen -W "$(_vnetlab_words hooks "$lab")" -- "$cur"))
			compopt -o nospace 2>/dev/null
			[ ${#COMPREPLY[@]} -le 1 ] && compopt +o nospace 2>/dev/null
		else
			COMPREPLY=($(compgen -W "show set clear up down downstream upstream bandwidth delay jitter loss duplicate ber queue impl none --json --force" -- "$cur"))
		fi
		;;
	node)
		if [ "$COMP_CWORD" -eq 2 ]; then
			COMPREPLY=($(compgen -W "add rm" -- "$cur"))
		elif [ "$COMP_CWORD" -eq 3 ]; then
			COMPREPLY=($(compgen -W "$(_vnetlab_words labs)" -- "$cur"))
		elif [ "${COMP_WORDS[2]}" = rm ]; then
			COMPREPLY=($(compgen -W "$(_vnetlab_words nodes "$lab")" -- "$cur"))
		else
			case $prev in --kind) COMPREPLY=($(compgen -W "vnet bridge hub tee" -- "$cur")); return ;; esac
			COMPREPLY=($(compgen -W "--kind --hostname --forwarding" -- "$cur"))
		fi
		;;
	capture)
		case $prev in
		-w) COMPREPLY=($(compgen -f -- "$cur")); return ;;
		-c|--duration) return ;;
		esac
		if [ -z "$lab" ]; then
			COMPREPLY=($(compgen -W "$(_vnetlab_words labs)" -- "$cur"))
		elif [ "$prev" = "$lab" ]; then
			COMPREPLY=($(compgen -W "$(_vnetlab_words hooks "$lab")" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "-w -c --duration -q" -- "$cur"))
		fi
		;;
	web)
		case $prev in
		--listen) COMPREPLY=($(compgen -W "127.0.0.1:0 127.0.0.1:8080 [::1]:8080" -- "$cur")); return ;;
		--token-file) COMPREPLY=($(compgen -f -- "$cur")); return ;;
		esac
		COMPREPLY=($(compgen -W "--listen --expose --token-file" -- "$cur"))
		;;
	compare)
		COMPREPLY=($(compgen -W "--rtt-tolerance" -- "$cur"))
		[[ $cur != -* ]] && COMPREPLY+=($(compgen -f -X '!*.json' -- "$cur"))
		;;
	jail)
		COMPREPLY=($(compgen -W "-c -r name= host.hostname= vnet persist" -- "$cur"))
		;;
	jls) ;;
	jexec)
		[ "$COMP_CWORD" -gt 2 ] && COMPREPLY=($(compgen -c -- "$cur"))
		;;
	ngctl)
		COMPREPLY=($(compgen -W "mkpeer connect name shutdown rmhook msg list show -f eiface bridge hub tee pipe ether" -- "$cur"))
		;;
	ifconfig)
		COMPREPLY=($(compgen -W "vnet -vnet name link inet6 up down mtu -a" -- "$cur"))
		;;
	plan)
		case $prev in
		--backend) COMPREPLY=($(compgen -W "linux freebsd" -- "$cur")); return ;;
		--qdiscs) COMPREPLY=($(compgen -W "none tbf netem,tbf tbf,htb" -- "$cur")); return ;;
		--hosts) COMPREPLY=($(compgen -f -X '!*.@(yaml|yml|json)' -- "$cur")); return ;;
		--link) return ;;
		--topo) COMPREPLY=($(compgen -W "minimal single, reversed, linear, tree, ring, torus," -- "$cur")); return ;;
		esac
		COMPREPLY=($(compgen -W "--backend --qdiscs --hosts --topo --link --mac" -- "$cur"))
		[[ $cur != -* ]] && COMPREPLY+=($(compgen -f -X '!*.@(yaml|yml|json)' -- "$cur"))
		;;
	validate)
		COMPREPLY=($(compgen -f -X '!*.@(yaml|yml|json)' -- "$cur"))
		;;
	cleanup)
		COMPREPLY=($(compgen -W "--all" -- "$cur"))
		;;
	complete)
		COMPREPLY=($(compgen -W "verbs labs nodes hooks" -- "$cur"))
		;;
	esac
}
complete -F _vnetlab vnetlab
